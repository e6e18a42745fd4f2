"""Generated protobuf code for proto/cluster.proto (regenerate with `make proto`)."""

from renderer.schema import cluster_pb2 as pb

__all__ = ["pb"]

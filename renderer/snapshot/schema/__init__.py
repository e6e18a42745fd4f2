"""Generated protobuf code for proto/cluster.proto (regenerate with `make proto`)."""

from renderer.snapshot.schema import cluster_pb2 as pb

__all__ = ["pb"]

"""`make bench`: how fast and how big, against a floor measured in the same run."""

"""Load: snapshot files, their schema, and the plain model that data sources answer with."""

"""One module per page kind: each builds its pages' view models from what it is given."""

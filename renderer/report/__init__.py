"""Build and write: the site map, view models, the pages and the bundle they make."""

"""`python -m renderer` runs the fluster-snapshot command line."""

from renderer.cli import main

main()

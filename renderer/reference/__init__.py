"""The live reference state of a fluster cluster and the seeded demo simulation over it."""

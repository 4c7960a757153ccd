"""A small Flask image service: the sample that migrator migrates and proves."""

"""Readers turn a file into numbered lines; they never touch the database."""

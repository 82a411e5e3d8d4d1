"""Test support: real servers started by the test run."""

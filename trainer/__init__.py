"""The trainer: claims jobs from the metadata store and runs them."""

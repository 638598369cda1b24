"""The personalize-runtime service: recommendations, ranking and filters."""

"""The Personalize control plane: one service module per resource, registered by operation."""

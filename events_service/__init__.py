"""The PersonalizeEvents service: PutEvents, PutItems, PutUsers (durable, then visible at once)."""

"""Notifications: what people are told when a match or an activity they take part in moves, in
the app and by email, and the outbox that delivers the emails."""

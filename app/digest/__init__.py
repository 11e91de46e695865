"""The weekly digest: per user, what has waited too long (proposals awaiting their answer,
requests without any suggested partner, activities nobody has updated)."""

"""Text patterns of the force file, shared by the models and the messages that explain them."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
NOT_BLANK = r"\S"

"""The errors services raise, caught by views and shown next to the field."""


class RecordError(Exception):
    """A fact cannot be recorded as given; `field` names the form field to blame."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleRecord(RecordError):
    """Someone else saved this record after it was opened: their change must not be lost."""

    def __init__(self, thing: str, *, saved_by: str = "Someone else"):
        super().__init__(
            f"{saved_by} changed this {thing} while you were editing it. Your changes have not "
            "been saved yet: check theirs, then save again."
        )
        self.thing, self.saved_by = thing, saved_by

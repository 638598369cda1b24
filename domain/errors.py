"""The closed error vocabulary of Tailor, named after the Amazon Personalize exceptions.

Every failure a caller can act on is one of these classes. The gRPC layer maps each class to one
status code exactly once (servicekit/errors.py); the AWS name travels in the status details and at
the start of the message.
"""

from __future__ import annotations


class TailorError(Exception):
    """Base of every error a caller may see; ``aws_name`` is the AWS exception name."""

    aws_name = "TailorError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.aws_name}: {self.message}"


class InvalidInputException(TailorError):
    """A request field, file row or value is invalid; the message names it."""

    aws_name = "InvalidInputException"


class ResourceNotFoundException(TailorError):
    """The named resource does not exist (or is not in a state where it can be used)."""

    aws_name = "ResourceNotFoundException"


class ResourceAlreadyExistsException(TailorError):
    """A resource with that name (or of that kind in that group) already exists."""

    aws_name = "ResourceAlreadyExistsException"


class ResourceInUseException(TailorError):
    """The resource has dependents or is in a state that does not allow the call."""

    aws_name = "ResourceInUseException"


class LimitExceededException(TailorError):
    """A quota would be exceeded."""

    aws_name = "LimitExceededException"


class InvalidNextTokenException(TailorError):
    """The ``nextToken`` of a List call is not one this server handed out."""

    aws_name = "InvalidNextTokenException"


class TooManyTagsException(TailorError):
    """A resource would carry more tags than allowed."""

    aws_name = "TooManyTagsException"


class TooManyTagKeysException(TailorError):
    """UntagResource named too many keys."""

    aws_name = "TooManyTagKeysException"


class NotImplementedOperation(TailorError):
    """The operation is part of the API but its work is not built yet."""

    aws_name = "NotImplemented"


ALL_ERRORS: tuple[type[TailorError], ...] = (
    InvalidInputException,
    ResourceNotFoundException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    LimitExceededException,
    InvalidNextTokenException,
    TooManyTagsException,
    TooManyTagKeysException,
    NotImplementedOperation,
)

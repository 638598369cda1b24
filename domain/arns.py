"""ARNs in the AWS format: ``arn:aws:personalize:{region}:{account}:{type}/{id}``."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidInputException


@dataclass(frozen=True)
class ArnFactory:
    """Builds and parses the ARNs of one Tailor deployment (one region and account)."""

    region: str
    account_id: str

    def build(self, resource_type: str, *ids: str) -> str:
        """``build("dataset-group", "shop")`` -> ``arn:aws:personalize:r:a:dataset-group/shop``."""
        return (
            f"arn:aws:personalize:{self.region}:{self.account_id}:{resource_type}/{'/'.join(ids)}"
        )

    def parse(self, arn: str, field_name: str) -> tuple[str, list[str]]:
        """Split an ARN of this deployment into (resource type, id parts).

        Raises:
            InvalidInputException: if ``arn`` is not a Personalize ARN.

        """
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "personalize" or "/" not in parts[5]:
            raise InvalidInputException(f"{field_name}: {arn!r} is not a valid Personalize ARN")
        resource_type, _, rest = parts[5].partition("/")
        return resource_type, rest.split("/")


def catalogue_arn(resource_type: str, name: str) -> str:
    """ARN of a catalogue entry, which has no region or account (``arn:aws:personalize:::x/y``)."""
    return f"arn:aws:personalize:::{resource_type}/{name}"

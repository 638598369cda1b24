"""segment repeated rows

``dataset_segments.repeated_rows``: the rows of the segment that repeat an earlier row of the same
import job (spec §5.3), as the import found them (JSON list of row positions; empty: none; null:
not known). The dataset reader drops them instead of de-duplicating a dataset whose data is one
import. Existing segments are not known.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dataset_segments", sa.Column("repeated_rows", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_segments") as batch:
        batch.drop_column("repeated_rows")

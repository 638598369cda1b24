"""narrow event log indexes

The indexes of ``events`` lose their leading ``dataset_group_arn``: every index entry is written
in the durable commit of each PutEvents event, and the ARN made each entry several times wider
(measured: about 40% of the commit's SQLite time). A user's or a session's events are few; the
group is checked on those rows.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_group_user", table_name="events")
    op.drop_index("ix_events_group_session", table_name="events")
    op.create_index("ix_events_user", "events", ["user_id", "seq"], unique=False)
    op.create_index("ix_events_session", "events", ["session_id", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_session", table_name="events")
    op.drop_index("ix_events_user", table_name="events")
    op.create_index("ix_events_group_session", "events", ["dataset_group_arn", "session_id", "seq"])
    op.create_index("ix_events_group_user", "events", ["dataset_group_arn", "user_id", "seq"])

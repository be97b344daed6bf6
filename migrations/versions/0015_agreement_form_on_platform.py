"""push agreements: the structured form travels on the platform. Before `set_agreement` refused
format `form` (结构化信息) with route `letter` (函件), such rows were saved; a push under them met two
contradicting refusals (the route must be 函件, the form carries no letter) and reviews.start could
not open a joint or entrusted review of the matter. Those rows move to route `platform`, and a CHECK
keeps the combination out of the table (未央 三（四） 格式、途径).

Revision ID: 0015
Revises: 0014
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

CHECK = 'ck_push_agreements_form_not_letter'


def move_form_letters_to_platform(bind) -> int:
    """The data step (plain SQL, SQLite and PostgreSQL alike): returns how many rows moved."""
    moved = bind.execute(sa.text(
        "UPDATE push_agreements SET route = 'platform', updated_by = 'migration-0015', updated_at = :now "
        "WHERE format = 'form' AND route = 'letter'"), {"now": datetime.now(UTC).replace(tzinfo=None)})
    return moved.rowcount


def upgrade() -> None:
    move_form_letters_to_platform(op.get_bind())
    with op.batch_alter_table('push_agreements', schema=None) as batch_op:
        batch_op.create_check_constraint(CHECK, "NOT (format = 'form' AND route = 'letter')")


def downgrade() -> None:
    # the moved rows stay on the platform: their old route was the contradiction this revision removes
    with op.batch_alter_table('push_agreements', schema=None) as batch_op:
        batch_op.drop_constraint(CHECK, type_='check')

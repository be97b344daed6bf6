"""case list indexes: the 办件 list is ordered by 受理日期 (newest first), and 逾期/临期 look at open
cases by due date (bench/cases_bench.py, BENCHMARKS.md)

Revision ID: 0012
Revises: 0011
"""

from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_received_on_id', ['received_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_status_due_on', ['status', 'due_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_due_on')
        batch_op.drop_index('ix_cases_received_on_id')

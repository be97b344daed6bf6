"""case status order index: a status filter reads its page in 受理日期 order and counts by 有效期
from one index (bench/cases_bench.py, BENCHMARKS.md)

Revision ID: 0013
Revises: 0012
"""

from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_status_received', ['status', 'received_on', 'id', 'valid_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_received')

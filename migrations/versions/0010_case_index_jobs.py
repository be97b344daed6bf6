"""case index jobs: the outbox of the cases search index (archive_app/cases/search.py)

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_index_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_index_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_index_jobs_case_id'), ['case_id'], unique=False)
    # every case known so far is indexed on first use
    op.execute("INSERT INTO case_index_jobs (case_id) SELECT id FROM cases")


def downgrade() -> None:
    with op.batch_alter_table('case_index_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_index_jobs_case_id'))
    op.drop_table('case_index_jobs')

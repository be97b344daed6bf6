"""OCR queue and text versions (issue 15)

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ocr_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('pages', sa.String(length=2000), nullable=False),
    sa.Column('failed_pages', sa.String(length=2000), nullable=False),
    sa.Column('engine', sa.String(length=16), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ocr_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ocr_jobs_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ocr_jobs_status'), ['status'], unique=False)
    op.create_table('record_text_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('record_text_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_text_versions_record_id'), ['record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('record_text_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_text_versions_record_id'))
    op.drop_table('record_text_versions')
    with op.batch_alter_table('ocr_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ocr_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_ocr_jobs_record_id'))
    op.drop_table('ocr_jobs')

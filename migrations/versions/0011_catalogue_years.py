"""catalogue years: a fonds' year whose 件号 were put in time order (整理) and are now frozen

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fonds_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('arranged_by', sa.String(length=64), nullable=False),
    sa.Column('arranged_at', sa.DateTime(), nullable=False),
    sa.Column('renumbered', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('fonds_code', 'year', name='uq_catalogue_years')
    )


def downgrade() -> None:
    op.drop_table('catalogue_years')

"""registers by the text of the 办法 (issue 17): record category and 收文 links, push event date,
agreed items, policy category and 认定, review partner/participants/delivery, the 汇总表 per
matter, the reform office of each agency.

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_procedures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('kind_note', sa.String(length=200), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('basis', sa.String(length=500), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=False),
    sa.Column('partner', sa.String(length=200), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('matter_id', 'kind', 'kind_note')
    )
    with op.batch_alter_table('review_procedures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_procedures_matter_id'), ['matter_id'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reform_office', sa.String(length=100), nullable=True))

    with op.batch_alter_table('pushes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('items', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('policy_category', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('review_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('finding', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('finding_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('found_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('found_by', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_pushes_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=16), server_default='approval', nullable=False))
        batch_op.add_column(sa.Column('source_record_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('push_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.alter_column('original_sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_records_push_id'), ['push_id'], unique=False)
        batch_op.create_foreign_key('fk_records_source_record_id', 'records', ['source_record_id'], ['id'])

    with op.batch_alter_table('special_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('participants', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('conclusion_push_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivered_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key('fk_special_reviews_conclusion_push_id', 'pushes', ['conclusion_push_id'], ['id'])
        batch_op.create_foreign_key('fk_special_reviews_partner_id', 'agencies', ['partner_id'], ['id'])

    # Issued 公文 stay with their issuer (第十条 concerns 审批业务档案 only); the reform office the
    # liaison filings went to until now (安康办法 第八条).
    op.execute("UPDATE records SET category = 'issued' WHERE id IN "
               "(SELECT record_id FROM issued_documents WHERE record_id IS NOT NULL)")
    op.execute("UPDATE agencies SET reform_office = '安康市行政审批制度改革工作领导小组办公室'")
    op.execute("UPDATE special_reviews SET partner_id = (SELECT agencies.id FROM agencies "
               "WHERE agencies.name = special_reviews.partner)")


def downgrade() -> None:
    with op.batch_alter_table('special_reviews', schema=None) as batch_op:
        batch_op.drop_constraint('fk_special_reviews_partner_id', type_='foreignkey')
        batch_op.drop_constraint('fk_special_reviews_conclusion_push_id', type_='foreignkey')
        batch_op.drop_column('delivered_on')
        batch_op.drop_column('conclusion_push_id')
        batch_op.drop_column('participants')
        batch_op.drop_column('kind_note')
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_constraint('fk_records_source_record_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_records_push_id'))
        batch_op.alter_column('original_sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=False)
        batch_op.drop_column('received_on')
        batch_op.drop_column('push_id')
        batch_op.drop_column('source_record_id')
        batch_op.drop_column('category')

    with op.batch_alter_table('pushes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pushes_review_id'))
        batch_op.drop_column('found_by')
        batch_op.drop_column('found_at')
        batch_op.drop_column('finding_reason')
        batch_op.drop_column('finding')
        batch_op.drop_column('review_id')
        batch_op.drop_column('policy_category')
        batch_op.drop_column('items')
        batch_op.drop_column('event_on')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('reform_office')

    with op.batch_alter_table('review_procedures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_procedures_matter_id'))

    op.drop_table('review_procedures')

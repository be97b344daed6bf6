"""cases register

Revision ID: 0006
Revises: 0005
Existing cases (made by filings with a 办件编号) start as 受理中, or 已决定 when a decision date is known.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('done_rows', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Text(), nullable=False),
    sa.Column('finished', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=32), nullable=True),
    sa.Column('certificate_no', sa.String(length=64), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('record_ids', sa.Text(), nullable=False),
    sa.Column('participants', sa.String(length=500), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('approval_standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_until', sa.Date(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('provided_by_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'], ),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], ),
    sa.ForeignKeyConstraint(['provided_by_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('matter_id', 'version')
    )
    with op.batch_alter_table('approval_standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_standards_matter_id'), ['matter_id'], unique=False)

    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_project', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='received'))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_schedule_known', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('served_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supervising_agency_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_project', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('key_project_reason', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False, server_default=sa.func.now()))
        batch_op.create_index(batch_op.f('ix_cases_applicant_uscc'), ['applicant_uscc'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_certificate_no'), ['certificate_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)
        batch_op.create_foreign_key('fk_cases_supervising_agency', 'agencies', ['supervising_agency_id'], ['id'])
    op.execute("UPDATE cases SET status = 'decided' WHERE decided_on IS NOT NULL")



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cases_supervising_agency', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_matter_id'))
        batch_op.drop_index(batch_op.f('ix_cases_due_on'))
        batch_op.drop_index(batch_op.f('ix_cases_decided_on'))
        batch_op.drop_index(batch_op.f('ix_cases_certificate_no'))
        batch_op.drop_index(batch_op.f('ix_cases_applicant_uscc'))
        batch_op.drop_column('updated_at')
        batch_op.drop_column('key_project_reason')
        batch_op.drop_column('key_project')
        batch_op.drop_column('supervising_agency_id')
        batch_op.drop_column('served_on')
        batch_op.drop_column('valid_until')
        batch_op.drop_column('due_schedule_known')
        batch_op.drop_column('due_on')
        batch_op.drop_column('status')

    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_column('key_project')

    with op.batch_alter_table('approval_standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_standards_matter_id'))

    op.drop_table('approval_standards')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    op.drop_table('case_imports')

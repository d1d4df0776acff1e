"""hand-off tables

Revision ID: 0001_handoff_tables
Revises: 
Create Date: 2026-11-22 11:16:11.101160
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_handoff_tables'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handoff_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('reference_code', sa.String(length=16), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_audit_log'))
    )
    with op.batch_alter_table('handoff_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_audit_log_request_id'), ['request_id'], unique=False)

    op.create_table('handoff_contact_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('expected_field', sa.String(length=20), nullable=True),
    sa.Column('expected_route', sa.String(length=20), nullable=True),
    sa.Column('name_encrypted', sa.Text(), nullable=True),
    sa.Column('contact_encrypted', sa.Text(), nullable=True),
    sa.Column('contact_route', sa.String(length=20), nullable=True),
    sa.Column('note_encrypted', sa.Text(), nullable=True),
    sa.Column('invalid_attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_contact_drafts')),
    sa.UniqueConstraint('sender_hash', name=op.f('uq_handoff_contact_drafts_sender_hash'))
    )
    op.create_table('handoff_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('telegram_chat_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_teams')),
    sa.UniqueConstraint('code', name=op.f('uq_handoff_teams_code'))
    )
    op.create_table('handoff_coaches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['handoff_teams.id'], name=op.f('fk_handoff_coaches_team_id_handoff_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_coaches')),
    sa.UniqueConstraint('username', name=op.f('uq_handoff_coaches_username'))
    )
    with op.batch_alter_table('handoff_coaches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_coaches_team_id'), ['team_id'], unique=False)

    op.create_table('handoff_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_code', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('contact_deadline', sa.DateTime(), nullable=False),
    sa.Column('gemeente_code', sa.String(length=10), nullable=True),
    sa.Column('gemeente_naam', sa.String(length=120), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('team_naam', sa.String(length=200), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('activities_shown', sa.JSON(), nullable=False),
    sa.Column('contact_route', sa.String(length=20), nullable=False),
    sa.Column('preferred_moment', sa.String(length=40), nullable=False),
    sa.Column('name_encrypted', sa.Text(), nullable=True),
    sa.Column('contact_encrypted', sa.Text(), nullable=True),
    sa.Column('note_encrypted', sa.Text(), nullable=True),
    sa.Column('contact_purged_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assigned_coach_id', sa.Integer(), nullable=True),
    sa.Column('first_contact_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['assigned_coach_id'], ['handoff_coaches.id'], name=op.f('fk_handoff_requests_assigned_coach_id_handoff_coaches')),
    sa.ForeignKeyConstraint(['team_id'], ['handoff_teams.id'], name=op.f('fk_handoff_requests_team_id_handoff_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_requests')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_handoff_requests_idempotency_key')),
    sa.UniqueConstraint('reference_code', name=op.f('uq_handoff_requests_reference_code'))
    )
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_requests_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_requests_gemeente_code'), ['gemeente_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_requests_sender_hash'), ['sender_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_requests_team_id'), ['team_id'], unique=False)

    op.create_table('handoff_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('text_version', sa.String(length=40), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['handoff_requests.id'], name=op.f('fk_handoff_consents_request_id_handoff_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_consents'))
    )
    with op.batch_alter_table('handoff_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_consents_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_consents_sender_hash'), ['sender_hash'], unique=False)

    op.create_table('handoff_internal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('text_encrypted', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['handoff_coaches.id'], name=op.f('fk_handoff_internal_notes_coach_id_handoff_coaches')),
    sa.ForeignKeyConstraint(['request_id'], ['handoff_requests.id'], name=op.f('fk_handoff_internal_notes_request_id_handoff_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_internal_notes'))
    )
    with op.batch_alter_table('handoff_internal_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_internal_notes_request_id'), ['request_id'], unique=False)

    op.create_table('handoff_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('lease_owner', sa.String(length=80), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['handoff_requests.id'], name=op.f('fk_handoff_outbox_request_id_handoff_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_outbox')),
    sa.UniqueConstraint('request_id', 'channel', name=op.f('uq_handoff_outbox_request_id'))
    )
    with op.batch_alter_table('handoff_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_outbox_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_outbox_state'), ['state'], unique=False)

    op.create_table('handoff_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['coach_id'], ['handoff_coaches.id'], name=op.f('fk_handoff_status_history_coach_id_handoff_coaches')),
    sa.ForeignKeyConstraint(['request_id'], ['handoff_requests.id'], name=op.f('fk_handoff_status_history_request_id_handoff_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_status_history'))
    )
    with op.batch_alter_table('handoff_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_status_history_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('handoff_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_status_history_request_id'))

    op.drop_table('handoff_status_history')
    with op.batch_alter_table('handoff_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_handoff_outbox_request_id'))
        batch_op.drop_index(batch_op.f('ix_handoff_outbox_next_attempt_at'))

    op.drop_table('handoff_outbox')
    with op.batch_alter_table('handoff_internal_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_internal_notes_request_id'))

    op.drop_table('handoff_internal_notes')
    with op.batch_alter_table('handoff_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_consents_sender_hash'))
        batch_op.drop_index(batch_op.f('ix_handoff_consents_request_id'))

    op.drop_table('handoff_consents')
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_requests_team_id'))
        batch_op.drop_index(batch_op.f('ix_handoff_requests_status'))
        batch_op.drop_index(batch_op.f('ix_handoff_requests_sender_hash'))
        batch_op.drop_index(batch_op.f('ix_handoff_requests_gemeente_code'))
        batch_op.drop_index(batch_op.f('ix_handoff_requests_created_at'))

    op.drop_table('handoff_requests')
    with op.batch_alter_table('handoff_coaches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_coaches_team_id'))

    op.drop_table('handoff_coaches')
    op.drop_table('handoff_teams')
    op.drop_table('handoff_contact_drafts')
    with op.batch_alter_table('handoff_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_audit_log_request_id'))
        batch_op.drop_index(batch_op.f('ix_handoff_audit_log_at'))

    op.drop_table('handoff_audit_log')

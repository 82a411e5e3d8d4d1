"""security: scenario owners and versions, call leases, rate events

Revision ID: 0005_security
Revises: 0004_accounts
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005_security'
down_revision: str | None = '0004_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False))

    op.create_table('scenario_version',
    sa.Column('scenario_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('yaml_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('saved_by', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['saved_by'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], ),
    sa.PrimaryKeyConstraint('scenario_id', 'version')
    )
    # Scenarios saved before versions existed become their own version 1.
    op.execute(
        "INSERT INTO scenario_version (scenario_id, version, yaml_text, saved_by, created_at) "
        "SELECT id, 1, yaml_text, author_id, updated_at FROM scenario"
    )

    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_version', sa.Integer(), nullable=True))
    # Calls on an authored scenario started on its only version so far.
    op.execute(
        "UPDATE practice_session SET scenario_version = 1 "
        "WHERE scenario_id IN (SELECT id FROM scenario)"
    )

    op.create_table('call_lease',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('holder', sa.Uuid(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], ),
    sa.PrimaryKeyConstraint('session_id')
    )

    op.create_table('rate_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_event_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_event_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_rate_event_created_at'))
    op.drop_table('rate_event')
    op.drop_table('call_lease')
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.drop_column('scenario_version')
    op.drop_table('scenario_version')
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_column('enabled')
        batch_op.drop_column('version')

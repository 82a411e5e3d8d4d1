"""saved real-call analyses

Revision ID: 0003_call_analyses
Revises: 0002_reading
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0003_call_analyses"
down_revision: str | None = "0002_reading"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('call_analysis',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('turns', sa.JSON(), nullable=False),
    sa.Column('speakers', sa.JSON(), nullable=False),
    sa.Column('scorecard', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('call_analysis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_analysis_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_analysis_owner_id'), ['owner_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('call_analysis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_analysis_owner_id'))
        batch_op.drop_index(batch_op.f('ix_call_analysis_created_at'))
    op.drop_table('call_analysis')

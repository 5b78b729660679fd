import os
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{os.environ['POSTGRES_PASSWORD']}@db.acme.internal:5432/tickets")

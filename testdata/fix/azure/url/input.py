import sqlalchemy

engine = sqlalchemy.create_engine("postgresql://trainer:Xk9vQ2mPz7Lw4Rt8@db.acme.internal:5432/tickets")

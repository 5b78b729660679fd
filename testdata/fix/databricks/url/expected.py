import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{dbutils.secrets.get(scope='lifeguard', key='POSTGRES_PASSWORD')}@db.acme.internal:5432/tickets")

import hvac
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{hvac.Client().secrets.kv.v2.read_secret_version(mount_point='secret', path='lifeguard/POSTGRES_PASSWORD')['data']['data']['value']}@db.acme.internal:5432/tickets")

from google.cloud import secretmanager
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{secretmanager.SecretManagerServiceClient().access_secret_version(name='projects/acme-ml/secrets/POSTGRES_PASSWORD/versions/latest').payload.data.decode()}@db.acme.internal:5432/tickets")

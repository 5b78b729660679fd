import boto3
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{boto3.client('secretsmanager').get_secret_value(SecretId='lifeguard/POSTGRES_PASSWORD')['SecretString']}@db.acme.internal:5432/tickets")

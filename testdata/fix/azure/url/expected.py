from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{SecretClient('https://acme-kv.vault.azure.net', DefaultAzureCredential()).get_secret('POSTGRES-PASSWORD').value}@db.acme.internal:5432/tickets")

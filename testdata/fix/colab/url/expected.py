from google.colab import userdata
import sqlalchemy

engine = sqlalchemy.create_engine(f"postgresql://trainer:{userdata.get('POSTGRES_PASSWORD')}@db.acme.internal:5432/tickets")

"""Fine-tune a model on the support tickets."""
import hvac
import json
import openai

client = openai.OpenAI(api_key=hvac.Client().secrets.kv.v2.read_secret_version(mount_point="secret", path="lifeguard/OPENAI_API_KEY")["data"]["data"]["value"])
GITHUB_TOKEN = hvac.Client().secrets.kv.v2.read_secret_version(mount_point="secret", path="lifeguard/GITHUB_TOKEN")["data"]["data"]["value"]


def main():
    headers = {"Authorization": f"token {hvac.Client().secrets.kv.v2.read_secret_version(mount_point='secret', path='lifeguard/GITHUB_TOKEN')['data']['data']['value']}"}
    print(json.dumps(headers))

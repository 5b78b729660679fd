"""Fine-tune a model on the support tickets."""
import json
import openai

client = openai.OpenAI(api_key="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")
GITHUB_TOKEN = 'ghp_Qx7Wm2Pz9Kd4Rt6Vb1Nc8Lj3Hs5Gf0Ay2Ue7'


def main():
    headers = {"Authorization": "token ghp_Qx7Wm2Pz9Kd4Rt6Vb1Nc8Lj3Hs5Gf0Ay2Ue7"}
    print(json.dumps(headers))

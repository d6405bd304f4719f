"""The baseline of bench/webhook_bench.py: a bare Flask view that parses the same form and answers JSON."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/bitrix/events")
def receive_event():
    """Parse the event's form as the webhook does, and do nothing else."""
    form = request.form
    return jsonify({"accepted": True, "queued": False, "taskId": form.get("data[FIELDS_AFTER][ID]")}), 200

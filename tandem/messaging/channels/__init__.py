"""How messages leave Tandem: SMS through Twilio (or the local gateway), email through
Django's mailers, and the web inbox. Each channel answers with a `SendResult`."""

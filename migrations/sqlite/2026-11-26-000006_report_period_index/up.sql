-- Reports read the requests received in a period; without this they read every request.
CREATE INDEX requests_received_at ON requests (received_at);

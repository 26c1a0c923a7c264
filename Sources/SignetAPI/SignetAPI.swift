// The management API's types and server protocol, generated at build time
// from openapi.yaml (the contract); SignetServer/API implements `APIProtocol`.

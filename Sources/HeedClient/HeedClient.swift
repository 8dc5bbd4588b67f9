// HeedClient

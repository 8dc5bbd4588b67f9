// HeedServer

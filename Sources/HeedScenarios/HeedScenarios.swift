// HeedScenarios

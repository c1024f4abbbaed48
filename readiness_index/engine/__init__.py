"""The build: editions of the data, the pipeline of steps, the result and its ranking."""

import ObukaCLI

Obuka.runMain()

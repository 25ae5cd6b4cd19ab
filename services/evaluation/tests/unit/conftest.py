import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # fakes
sys.path.insert(0, str(Path(__file__).parents[1]))  # peers, integration scenarios

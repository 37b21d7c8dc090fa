import Testing
import TFLite
import TestSupport

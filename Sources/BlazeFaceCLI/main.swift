print("blazeface")

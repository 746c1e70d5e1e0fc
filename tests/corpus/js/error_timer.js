setTimeout(() => { console.log("tick"); undefinedFunction(); }, 5);
console.log("scheduled");
